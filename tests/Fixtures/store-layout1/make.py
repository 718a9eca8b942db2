# Drives an old build's `pumpctl sim --stdio --clock manual --state DIR` through a baclofen day and writes the store.
import subprocess, sys, os, shutil
import json
exe, state = json.loads(sys.argv[1]), sys.argv[2]
shutil.rmtree(state, ignore_errors=True)
p = subprocess.Popen(exe + ["sim", "--stdio", "--clock", "manual", "--state", state], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
def send(line):
    p.stdin.write(line + "\n"); p.stdin.flush()
    while True:
        l = p.stdout.readline()
        if not l: raise SystemExit("eof after " + line)
        l = l.rstrip("\n")
        if not l.startswith("!"):
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
send("STATUS?")
p.stdin.close(); p.wait()
print("exit", p.returncode, os.listdir(state))
