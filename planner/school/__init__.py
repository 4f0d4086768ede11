"""The school model: classes, teachers, calendar, bells and the regular timetable as dated versions."""

from planner.school.model import (
    SCHEMA_VERSION, Activity, BellSchedule, BellVariant, ChatLink, Device, DeviceCounts, Holiday,
    InstitutionKind, Lesson, Period, Readiness, Room, School, SchoolCalendar, StudentClass, SubGroup, Subject,
    Teacher, TimetableVersion, TransferredDay, Unavailability, WeekMask,
)
from planner.school.occurrence import OccurrenceKey

__all__ = [
    "SCHEMA_VERSION", "Activity", "BellSchedule", "BellVariant", "ChatLink", "Device", "DeviceCounts", "Holiday",
    "InstitutionKind", "Lesson", "OccurrenceKey", "Period", "Readiness", "Room", "School", "SchoolCalendar",
    "StudentClass", "SubGroup", "Subject", "Teacher", "TimetableVersion", "TransferredDay", "Unavailability",
    "WeekMask",
]
