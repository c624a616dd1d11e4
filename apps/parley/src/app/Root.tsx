// The app on its real services: loads the backend and the models in the background (Home shows them
// loading) and renders the screens.
import { errorMessage } from '@parley/engine/errors';
import { useEffect, useState } from 'react';
import { App } from './App';
import { loadServices, startingServices, type ServiceOptions } from './real/index';
import type { ScreenName } from './screens/Home';
import type { Services } from './services';

export function Root({ options, screen }: { options: ServiceOptions; screen?: ScreenName }) {
  const [services, setServices] = useState<Services>(() => startingServices(options));
  useEffect(() => {
    loadServices(options, setServices).catch((err: unknown) => {
      const error = `cannot start: ${errorMessage(err)}`;
      setServices((s) => ({
        ...s,
        backend: error,
        chat: { state: 'missing', error },
        translate: { state: 'missing', error },
        classifiers: s.classifiers.map((c) => ({ ...c, service: { state: 'missing', error } })),
      }));
    });
  }, [options]);
  return <App services={services} initialScreen={screen} />;
}
