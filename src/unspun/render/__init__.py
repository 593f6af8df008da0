"""Human-readable views of a report, each a pure function of the report's dict
(``Report.to_dict()``, schema ``unspun.report/1``):

- ``unspun.render.terminal.render(report_dict, console)`` prints it with Rich;
- ``unspun.render.html.render(report_dict)`` returns one standalone HTML page.

Nothing is imported here, so that importing one view does not load the other.
"""

__all__: list[str] = []
