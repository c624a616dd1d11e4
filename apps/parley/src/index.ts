// @parley/app as a library: the `parley` command's entry point, and the models that ship with the package
// (found beside its own files, so they work from any directory and when installed from npm).
export { main, loadCommand, commandNames, type Command } from './cli';
export { bundledModel, bundledModelNames, BUNDLED_MODELS_DIR } from './paths';
