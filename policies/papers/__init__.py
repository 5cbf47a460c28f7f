"""A meeting's papers as PDFs: the agenda book and the decision record, built from templates/papers/."""
