# Drives an old build's `pumpctl sim --stdio --clock manual --state DIR` through the same baclofen day as
# ../store-layout1/make.py, then also writes what that firmware answered to STATUS? (status.txt) and its whole log
# (log.txt: every !LOG line of LOG? from seq 1, 100 at a time) before its clean exit.
import subprocess, sys, os, shutil
import json
exe, state, out = json.loads(sys.argv[1]), sys.argv[2], sys.argv[3]
shutil.rmtree(state, ignore_errors=True)
p = subprocess.Popen(exe + ["sim", "--stdio", "--clock", "manual", "--state", state], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
def send(line, bang=None):
    p.stdin.write(line + "\n"); p.stdin.flush()
    while True:
        l = p.stdout.readline()
        if not l: raise SystemExit("eof after " + line)
        l = l.rstrip("\n")
        if l.startswith("!"):
            if bang is not None and l.startswith("!LOG "): bang.append(l)
            continue
        print(">", line, "<", l); return l
first = p.stdout.readline(); print(first.strip())
send("AUTH 0000"); send("TIME 1767225600"); send("PROG:NEW")
for l in ["PROG:DRUG baclofen 500", "PROG:LIMIT 400", "PROG:STEP 00:00 120", "PROG:STEP 07:00 200", "PROG:STEP 12:00 150",
          "PROG:STEP 19:00 240", "PROG:PTM 25 10 240 3", "PROG:RESERVOIR 20000 4000", "PROG:CATHETER 150", "PROG:MINRATE 20"]:
    send(l)
r = send("PROG:REVIEW"); send("PROG:COMMIT " + r[7:11])
send("REFILL 5500"); send("START")
send("SIM:ADVANCE 30600")   # to 08:30
send("PTM")
send("SIM:ADVANCE 55800")   # to 00:00 the next day
status = send("STATUS?")
log = []
seq = 1
while True:
    page = []
    send("LOG? %d 100" % seq, page)
    log += page
    if len(page) < 100: break
    seq += 100
p.stdin.close(); p.wait()
with open(os.path.join(out, "status.txt"), "w") as f: f.write(status + "\n")
with open(os.path.join(out, "log.txt"), "w") as f: f.write("".join(l + "\n" for l in log))
for name in sorted(os.listdir(state)):
    if name.startswith("record-"): shutil.copy(os.path.join(state, name), os.path.join(out, name))
print("exit", p.returncode, os.listdir(state), len(log), "log records")
