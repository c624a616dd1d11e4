// Character-level language models.
