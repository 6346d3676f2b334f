"""Running the warehouse unattended: the writer lock, the run log and quarantine, fault injection."""
