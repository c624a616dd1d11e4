// The Parley terminal app: Home and the job screens (Classify once per classifier, Embeddings last). A screen whose model is missing says so
// (and how to get it) instead of opening.
import { useState } from 'react';
import { Text } from 'ink';
import { useKeys } from './components/useKeys';
import { Keys } from './components/Keys';
import { Screen } from './components/Screen';
import { Title } from './components/Title';
import { Chat } from './screens/Chat';
import { Classify } from './screens/Classify';
import { Embeddings } from './screens/Embeddings';
import { Evaluate } from './screens/Evaluate';
import { Home, type ScreenName } from './screens/Home';
import { Train } from './screens/Train';
import { Translate } from './screens/Translate';
import type { Loadable, Services } from './services';

function NotReady({ screen, model, onBack }: { screen: string; model: Loadable<unknown>; onBack(): void }) {
  useKeys((_, key) => {
    if (key.escape || key.return) onBack();
  });
  return (
    <Screen
      header={<Title screen={screen} />}
      footer={
        <Keys
          keys={[
            ['Esc', 'home'],
            ['Ctrl-C', 'quit'],
          ]}
        />
      }
    >
      {model.state === 'loading' ? (
        <Text color="yellow">The model is still loading; try again in a moment.</Text>
      ) : null}
      {model.state === 'missing' ? <Text color="red">{model.error}</Text> : null}
    </Screen>
  );
}

export function App({ services, initialScreen }: { services: Services; initialScreen?: ScreenName }) {
  const [screen, setScreen] = useState<ScreenName | 'home'>(initialScreen ?? 'home');
  const [classifier, setClassifier] = useState(0);
  const home = () => setScreen('home');
  const open = (next: ScreenName, which?: number) => {
    if (which !== undefined) setClassifier(which);
    setScreen(next);
  };
  switch (screen) {
    case 'home':
      return <Home services={services} onOpen={open} />;
    case 'chat':
      return services.chat.state === 'ready' ? (
        <Chat service={services.chat.service} onBack={home} />
      ) : (
        <NotReady screen="Chat" model={services.chat} onBack={home} />
      );
    case 'translate':
      return services.translate.state === 'ready' ? (
        <Translate service={services.translate.service} onBack={home} />
      ) : (
        <NotReady screen="Translate" model={services.translate} onBack={home} />
      );
    case 'train':
      return <Train service={services.train} onBack={home} />;
    case 'evaluate':
      return <Evaluate service={services.evaluate} onBack={home} />;
    case 'classify':
      return services.classifiers.length ? (
        <Classify classifiers={services.classifiers} initial={classifier} onBack={home} />
      ) : (
        <NotReady screen="Classify" model={{ state: 'missing', error: 'no classifier models given' }} onBack={home} />
      );
    case 'embeddings':
      return <Embeddings source={services.embeddings} onBack={home} />;
  }
}
