// Parse .ics files with Mozilla ical.js and print, per file, the events as JSON:
// {file: [{uid, start, end (UTC ISO), summary, status, sequence}]}. Usage: node parse-feeds.mjs FILE...
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const out = {};
for (const file of process.argv.slice(2)) {
  const root = new ICAL.Component(ICAL.parse(readFileSync(file, "utf8")));
  for (const vtz of root.getAllSubcomponents("vtimezone")) {
    ICAL.TimezoneService.register(new ICAL.Timezone(vtz));
  }
  out[file] = root.getAllSubcomponents("vevent").map((c) => {
    const ev = new ICAL.Event(c);
    return {
      uid: ev.uid,
      start: ev.startDate.toJSDate().toISOString(),
      end: ev.endDate.toJSDate().toISOString(),
      summary: ev.summary,
      status: c.getFirstPropertyValue("status"),
      sequence: ev.sequence,
    };
  });
}
process.stdout.write(JSON.stringify(out));
