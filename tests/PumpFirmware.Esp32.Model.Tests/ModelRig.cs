using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using PumpFirmware.App;
using PumpFirmware.Device;
using PumpFirmware.Esp32.NativeModel;
using PumpFirmware.Hal.Esp32;
using PumpFirmware.Units;
using Xunit;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace PumpFirmware.Esp32.Model.Tests;

/// <summary>Which ESP32 build a rig starts.</summary>
public enum Build
{
    /// <summary>Build A, RMT step generator, DRV8825 with a fault line.</summary>
    StepperRmt,
    /// <summary>Build A, LEDC+PCNT step generator (STEP jumpered to STEP_SENSE).</summary>
    StepperLedc,
    /// <summary>Build B, DC head with encoder.</summary>
    DcHead,
}

/// <summary>A freshly powered model board wired as hardware/ says, with the device start-up run on
/// it and a host on the protocol UART.</summary>
public sealed class ModelRig : IDisposable
{
    private int _hostRead;
    private readonly StringBuilder _partial = new();

    public ModelRig(Build build, bool start = true, bool enablePullUp = true, bool hasRtc = false)
    {
        HasRtc = hasRtc;
        Build = build;
        NativeBoard.Reset();
        NativeBoard.SetExternalPull(PinMap.OcclusionGpio, NativeBoard.Pull.Up);
        NativeBoard.SetExternalPull(PinMap.BatteryLowGpio, NativeBoard.Pull.Up);
        if (build == Build.DcHead)
        {
            NativeBoard.WireDcHead(PinMap.DcPwmGpio, PinMap.DcIn1Gpio, PinMap.DcIn2Gpio, PinMap.DcStandbyGpio, PinMap.DcEncoderAGpio, 2000);
        }
        else
        {
            NativeBoard.WireStepperDriver(PinMap.StepperStepGpio, PinMap.StepperEnableGpio, enablePullUp);
            NativeBoard.SetExternalPull(PinMap.StepperFaultGpio, NativeBoard.Pull.Up);
            NativeBoard.WireJumper(PinMap.StepperStepGpio, PinMap.StepperStepSenseGpio);
        }

        NativeBoard.PowerOn();
        if (start)
        {
            Start();
        }
    }

    public Build Build { get; }

    public bool HasRtc { get; }

    public DeviceRuntime Runtime { get; private set; }

    public PumpApplication App => Runtime.App;

    /// <summary>Lines the host received, complete ones only.</summary>
    public List<string> Lines { get; } = new();

    /// <summary>Set before Start (construct with start: false): a battery-powered rig, and its analog inputs.</summary>
    public PumpFirmware.Energy.BatteryProfile Battery { get; set; }

    public PumpFirmware.Hal.Esp32.Logic.AdcCalibration BatteryCalibration { get; set; }

    public PumpFirmware.Hal.Esp32.Logic.AdcCalibration PressureCalibration { get; set; }

    public void Start()
    {
        Runtime = DeviceRuntime.Start(Build == Build.DcHead, Build == Build.StepperLedc, Build != Build.DcHead, HasRtc, new DeviceIdentity("PumpFirmware", "PF-ESP32", "MODEL", "1.0.0"),
            Battery, BatteryCalibration, PressureCalibration);
        Runtime.SelfTest.Sleeper = new ModelSleeper();
    }

    /// <summary>SELFTEST's waits on the model's clock.</summary>
    private sealed class ModelSleeper : ISleeper
    {
        public void SleepMicros(long micros) => NativeBoard.Advance(micros);
    }

    /// <summary>Runs main-loop passes as Program.Main does; the sleep lets virtual time pass.</summary>
    public void Loop(int passes, Action eachPass = null)
    {
        for (int i = 0; i < passes; i++)
        {
            int sleepMillis = Runtime.RunOnce();
            eachPass?.Invoke();
            NativeBoard.Advance(sleepMillis == 0 ? NativeBoard.PollPassMicros : sleepMillis * 1000L);
        }

        Drain();
    }

    /// <summary>Runs the loop for a stretch of virtual time.</summary>
    public void Run(double seconds, Action eachPass = null)
    {
        long end = NativeBoard.NowMicros + (long)(seconds * 1_000_000);
        while (NativeBoard.NowMicros < end)
        {
            Loop(1, eachPass);
        }
    }

    /// <summary>Sends a request line and runs the loop until its status line arrives.</summary>
    public string Send(string line)
    {
        NativeBoard.UartHostSend(line + "\n");
        int before = Lines.Count;
        for (int i = 0; i < 2000; i++)
        {
            Loop(1);
            for (int k = before; k < Lines.Count; k++)
            {
                if (Lines[k].StartsWith("OK") || Lines[k].StartsWith("ERR"))
                {
                    return Lines[k];
                }
            }
        }

        throw new InvalidOperationException("no reply to " + line + "; got: " + string.Join(" | ", Lines.Skip(before)));
    }

    public List<string> Drain()
    {
        string all = NativeBoard.UartHostReceived();
        _partial.Append(all, _hostRead, all.Length - _hostRead);
        _hostRead = all.Length;
        var fresh = new List<string>();
        string text = _partial.ToString();
        int last = text.LastIndexOf('\n');
        if (last >= 0)
        {
            fresh.AddRange(text[..last].Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0));
            _partial.Remove(0, last + 1);
        }

        Lines.AddRange(fresh);
        return fresh;
    }

    /// <summary>Authorises, programs a basal rate, commits and (optionally) starts.</summary>
    public void Programmed(bool start, string rateUgPerDay = "10000")
    {
        foreach (var line in new[] { "AUTH 0000", "PROG:DRUG baclofen 500", "PROG:LIMIT 20000", "PROG:STEP 00:00 " + rateUgPerDay, "PROG:CATHETER 150" })
        {
            Assert.StartsWith("OK", Send(line));
        }

        string review = Send("PROG:REVIEW");
        Assert.StartsWith("OK crc=", review);
        Assert.StartsWith("OK", Send("PROG:COMMIT " + review.Substring(7, 4)));
        Assert.StartsWith("OK", Send("REFILL 20000"));
        if (start)
        {
            Assert.StartsWith("OK", Send("START"));
        }
    }

    public long StatusSteps()
    {
        var status = Send("STATUS?");
        var field = status.Split(' ').Single(f => f.StartsWith("steps="));
        return long.Parse(field["steps=".Length..]);
    }

    /// <summary>True when the motor's power stage is on, read at the pads as a meter would.</summary>
    public bool PowerStageOnAtPads => Build == Build.DcHead
        ? NativeBoard.LevelNow(PinMap.DcStandbyGpio)
        : !NativeBoard.LevelNow(PinMap.StepperEnableGpio);

    public void Dispose()
    {
        Runtime?.StopThreads();
    }
}
