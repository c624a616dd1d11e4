// @parley/metrics public API.
export {};
