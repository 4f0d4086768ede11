"""The per-date context is built once: one rebuild looks up the norms in force once per date, for the
pre-checks, the model, the assembly and the reasons together."""

from datetime import timedelta

from builders import MONDAY, make_school

from planner.norms import NormLibrary
from planner.plan import Mode
from planner.rebuild import rebuild
from planner.scenario import scenario_from_dict


class CountingLibrary(NormLibrary):
    """A norm library that counts the dates it was asked about."""

    asked: list

    def in_force(self, day):
        self.asked.append(day)
        return super().in_force(day)


def test_norms_in_force_are_looked_up_once_per_date():
    lib = NormLibrary.load()
    counting = CountingLibrary(lib.sets, lib.policy)
    counting.asked = []
    school = make_school({1: ["algebra", "russian", "english", "history", "biology", "music", "art"],
                          2: ["algebra", "russian", "english", "history", "biology", "music", "art"]}, grade=7)
    scenario = scenario_from_dict({"name": "t", "reason": "weather", "start": MONDAY,
                                   "end": MONDAY + timedelta(days=1), "online": {"classes": ["C"]}})
    plan = rebuild(school, scenario, counting)
    assert any(o.mode == Mode.ASYNC and o.reasons for o in plan.occurrences)  # the reasons ran
    assert sorted(counting.asked) == [MONDAY, MONDAY + timedelta(days=1)]
