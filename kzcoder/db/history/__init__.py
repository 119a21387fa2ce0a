"""The tamper-evident history in the project file (see ``core.history``): what each unit of
work changed is noticed by temporary triggers of kzcoder's own connections (``tracking``), and
appended, hash-chained, as the unit commits (``tracking.append``, called from one place:
``services.project.Project.unit``). ``reading`` lists it and replays it for verify."""
