"""English dates with the 24-hour clock the district uses everywhere (Django's English default
is "6:30 p.m.", which sat next to our "20:00")."""

TIME_FORMAT = "H:i"
DATETIME_FORMAT = "N j, Y, H:i"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
