"""Sign-in adds no home panel: the second factor is asked for before the home page shows."""
