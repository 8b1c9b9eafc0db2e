"""Vietnamese date formats: Django's, with "ngày" in lower case.

Django's Vietnamese ``DATE_FORMAT`` starts with a capital "Ngày", which is right only at the
start of a sentence; the site and the admin put dates inside sentences ("… — ngày 14 tháng 3
năm 2025", "đã duyệt ngày …"). The day has no leading zero, as Vietnamese writes it.
"""

from django.conf.locale.vi.formats import *  # noqa: F403

DATE_FORMAT = r"\n\gà\y j \t\há\n\g n \nă\m Y"
DATETIME_FORMAT = r"H:i, \n\gà\y j \t\há\n\g n \nă\m Y"
