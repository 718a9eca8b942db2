#!/usr/bin/env python3
"""Log a simulated hour of a pump on a balance, analyse it with `pumpctl analyze`, plot it.

What it needs (not run in CI):
  - Python 3.9 or later with matplotlib and pandas
    (Debian/Ubuntu: apt-get install python3-matplotlib python3-pandas; or pip install matplotlib pandas);
  - the .NET SDK and a built pumpctl: `dotnet build tools/PumpCtl` (or PUMPCTL_DLL=<path to pumpctl.dll>).

Run from the repository root:
    python3 docs/examples/trumpet_hour.py [--out sim-out/trumpet-hour]

The virtual device (manual clock, so the hour takes seconds) runs baclofen at 50 uL/h on a pump
head that delivers 2 % more than its calibration says, with pulsation, weighed by its
simulated 0.1 mg balance. The client logs telemetry and mass every 30 s into run.csv; pumpctl
analyze computes the trumpet curve over minutes 19-59 (T2 = 40 min, long enough for the 31 min
window; the first row comes 30 s in, so the log spans 59.5 min); this script then draws the trumpet curve and the delivered volume in one figure,
trumpet_hour.png, from analyze's trumpet.csv and summary.json and the log itself.
"""
import argparse
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(REPO, "clients", "python"))

from pumpclient import Pump  # noqa: E402  (the client from this checkout)

try:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import pandas as pd
except ImportError as missing:
    sys.exit("this example needs matplotlib and pandas (%s): apt-get install python3-matplotlib python3-pandas" % missing)


def pumpctl_command():
    dll = os.environ.get("PUMPCTL_DLL") or os.path.join(REPO, "artifacts", "bin", "PumpCtl", "debug", "pumpctl.dll")
    if not os.path.isfile(dll):
        sys.exit("pumpctl is not built: run 'dotnet build tools/PumpCtl' in %s (or set PUMPCTL_DLL)" % REPO)
    return ["dotnet", dll]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.join(REPO, "sim-out", "trumpet-hour"), help="output folder")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    log = os.path.join(args.out, "run.csv")
    pumpctl = pumpctl_command()

    # 1. A simulated hour, logged through the Python client.
    with Pump.virtual(pumpctl[1], balance=True, sim_args=["--cal-error-ppm", "20000", "--pulsation", "0.3"]) as pump:
        pump.auth("0000")
        crc = pump.program("baclofen", 2000, 5000, [("00:00", 2400)], ["PROG:RESERVOIR 20000 2000"])   # 50 uL/h
        pump.request("REFILL 20000")
        pump.request("START")
        rows = pump.log_telemetry(log, period_s=30, duration_s=3600, sim_advance=True, overwrite=True)
        status = pump.status()
    print("program %s: logged %d rows; the pump counts %.3f %s delivered" % (crc, rows, *status.quantity("delivered_ul")))

    # 2. The trumpet method, by pumpctl.
    analysis = os.path.join(args.out, "analysis")
    subprocess.run(pumpctl + ["analyze", log, "--source", "mass", "--t2-start-min", "19", "--t2-min", "40",
                              "--out", analysis], check=True)

    # 3. Our own figure from its outputs.
    trumpet = pd.read_csv(os.path.join(analysis, "trumpet.csv"))
    with open(os.path.join(analysis, "summary.json"), encoding="utf-8") as f:
        summary = json.load(f)
    run = pd.read_csv(log, parse_dates=["host_utc"])
    run["t_min"] = run["t_ms"] / 60000.0
    run["weighed_ul"] = (run["mass_g"] - run["mass_g"].iloc[0]) / summary["density_g_ml"] * 1000.0

    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2), constrained_layout=True)
    left.plot(trumpet["window_min"], trumpet["ep_max_pct"], "o-", color="firebrick", label="Ep(max)")
    left.plot(trumpet["window_min"], trumpet["ep_min_pct"], "o-", color="steelblue", label="Ep(min)")
    left.axhline(summary["mean_error_pct"], color="darkgreen", ls="--", label="A = %+.2f %%" % summary["mean_error_pct"])
    left.axhline(0, color="grey", lw=0.8)
    left.set_xticks(trumpet["window_min"])
    left.set_xlabel("observation window P (min)")
    left.set_ylabel("flow error (% of set rate)")
    left.set_title("trumpet curve, T2 = min %d-%d" % (summary["t2_start_min"], summary["t2_start_min"] + summary["t2_min"]))
    left.legend()

    right.plot(run["t_min"], run["delivered_ul"] - run["delivered_ul"].iloc[0], color="grey", label="commanded (delivered_ul)")
    right.step(run["t_min"], run["weighed_ul"], where="post", color="steelblue", label="weighed (mass_g / density)")
    right.set_xticks(range(0, 61, 10))
    right.set_xlabel("time (min)")
    right.set_ylabel("volume since the first row (uL)")
    right.set_title("set rate %.0f uL/h" % summary["set_rate_ul_h"])
    right.legend()
    fig.suptitle("virtual pump, head +2 %% with pulsation: %s, logged %s UTC"
                 % (os.path.basename(log), run["host_utc"].iloc[0].strftime("%Y-%m-%d %H:%M")), fontsize=10)
    figure = os.path.join(args.out, "trumpet_hour.png")
    fig.savefig(figure, dpi=150)
    print("mean error A = %+.2f %% (the head's +2 %%); wrote %s" % (summary["mean_error_pct"], figure))


if __name__ == "__main__":
    main()
