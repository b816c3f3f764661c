"""The Reports screen (`5`) and its dialogs: pick a group or a person and a span of days; export."""
