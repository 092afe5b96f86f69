#!/bin/sh
# A full meeting of the Best Start Neighborhood Leadership Group, imported from files and
# decided by the by-laws. Copy it and edit the CSV files to load a meeting of your own.
#
#     sh examples/meeting/run.sh            # in a new folder under /tmp
#     sh examples/meeting/run.sh ~/barrio   # or in the folder you name (it must not exist)
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)        # examples/meeting
EXAMPLES=$(dirname "$HERE")                # examples
REPO=$(dirname "$EXAMPLES")                # where bylaws/ is
WORKSPACE=${1:-$(mktemp -d)/barrio}
COMUNIDAD=${COMUNIDAD:-comunidad}

# The times in the files carry their offset (-08:00, Los Angeles in March); the minutes show
# them in your wall-clock time: the Partnership's.
export TZ=America/Los_Angeles

"$COMUNIDAD" init "$WORKSPACE" --locale en_US
cd "$WORKSPACE"
rm -f bylaws/*.toml
cp "$REPO/bylaws/best-start-partnership.toml" bylaws/

# The directory and the seats, then the meeting's record: each file refers to the ones before.
"$COMUNIDAD" import orgs "$EXAMPLES/orgs.csv"
"$COMUNIDAD" import people "$EXAMPLES/people.csv"
"$COMUNIDAD" import members "$EXAMPLES/members.csv"
for kind in meetings attendance motions recusals votes; do
    "$COMUNIDAD" import "$kind" "$HERE/$kind.csv"
done

# Every open motion, each judged at the time of its last vote: one adopted, one without
# quorum (three residents had left).
"$COMUNIDAD" motion close --all --meeting nlg-2025-03-05
"$COMUNIDAD" meeting close nlg-2025-03-05 --at "2025-03-05 19:30"

# Who was in the room at the first vote; the minutes in Spanish; one motion's full record.
"$COMUNIDAD" meeting show nlg-2025-03-05 --at "2025-03-05 18:45"
"$COMUNIDAD" meeting minutes nlg-2025-03-05 --locale es --format markdown
"$COMUNIDAD" motion show outreach-subcontract --json

echo "workspace: $WORKSPACE" >&2
