"""Resource planning: architectures, accelerators, memory, speed, serving, training, costs, team."""
