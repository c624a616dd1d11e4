// @parley/text public API.
export {};
