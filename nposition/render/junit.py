"""JUnit XML of a check report, for CI systems."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nposition.errors import visible

if TYPE_CHECKING:
    from nposition.reports.checks import CheckReport


def junit_xml(report: CheckReport) -> str:
    """The report as JUnit XML (one testcase per expectation) for CI systems."""
    from xml.etree import ElementTree as ET

    suite = ET.Element(
        "testsuite",
        name=visible(f"nposition.{report.case}"),
        tests=str(len(report.outcomes)),
        failures=str(report.failed),
        errors="0",
        skipped="0",
    )
    for o in report.outcomes:
        case = ET.SubElement(
            suite,
            "testcase",
            classname=visible(f"{report.case}.{o.expectation.scenario}"),
            name=visible(o.expectation.id),
        )
        if not o.passed:
            failure = ET.SubElement(
                case, "failure", message=visible(f"expected {o.expected}; found {o.found}")
            )
            failure.text = visible(o.expectation.because)
    suites = ET.Element(
        "testsuites",
        name="nposition check",
        tests=suite.get("tests", "0"),
        failures=suite.get("failures", "0"),
    )
    suites.append(suite)
    ET.indent(suites)
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
    )
