"""The left-hand and toolbar panels, one widget per file: data, model and training, run controls."""
