"""The demo committee: its story as data (story.py), the driver that tells it (driver.py), and drive.py."""
