"""The app's screens: the main screen and the modal ones (help, notation, dialogs)."""
