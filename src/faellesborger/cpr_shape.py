"""What a CPR number looks like in free text, for the checks and messages that must not show one.

9 or 10 digits with an optional dash or spaces after the 5th or 6th: as generous as
staging's mask (macro ``mask_cpr``), stated independently of it. Used by the quality
suites (no CPR-shaped value after staging) and by ``faellesborger build`` (no CPR-shaped
number in a printed message).
"""

CPR_LIKE_REGEX = r"[0-9]{5,6}(?: *- *| +)?[0-9]{4}"
