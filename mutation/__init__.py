"""Mutation testing of the domain modules with cosmic-ray: bin/mutants drives it, docs/mutation-results.md records it.

Why cosmic-ray and not mutmut 3: mutmut leaves decorated functions alone (every `@transaction.atomic` verb of
policies/services/) and never mutates module-level data (the workflow table); cosmic-ray mutates the real
file, so it sees both, and Django loads the app exactly as in any test run.
"""
