"""The course rules, no Textual or Rich: packs and calendar, meetings, the agenda, the live run, dates."""
