"""Initiative subsidies: regelingen with their pots, applications from an initiatief, the
gemeente's review and decision, and the narrative accountability afterwards."""
