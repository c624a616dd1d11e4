// @parley/metrics public API.
