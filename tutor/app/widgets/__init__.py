"""The app's widgets: the outline and one view per kind of step."""
