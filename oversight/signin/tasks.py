"""Sign-in has no background work: discovery documents and provider keys are fetched when a
sign-in needs them and kept in the cache."""
