"""faellesborger: synthetic deliveries and tools around the fællesborger warehouse."""
