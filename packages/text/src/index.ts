// @parley/text public API.
