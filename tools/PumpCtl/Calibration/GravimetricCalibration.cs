// hardware/README.md's gravimetric calibration as one procedure, on a rig or on the virtual
// device with its simulated balance:
//  1. AUTH; CAL? gives the calibration in force and the board's step rate.
//  2. Checks: the pump is STOPPED (PRIME runs only there), a program is active whose
//     catheter_ul holds the run volume (PRIME delivers at most that), and the reservoir holds
//     every run (else REFILL when allowed, or stop: a prime from an empty reservoir only
//     raises EMPTY).
//  3. Per run: stable mass m0 and steps N0; PRIME V; wait until bolus=NONE; settle; stable
//     mass m1 and steps N1. The steps are the firmware's own count, exact.
//  4. CalibrationMath: steps/mL per run, the mean and its uncertainty.
//  5. CAL <mean> only after confirmation, then CAL? to check it took.
using System.Globalization;
using PumpCtl.Balance;
using PumpCtl.Serial;

namespace PumpCtl.Calibration;

/// <summary>Runs a gravimetric calibration.</summary>
public sealed class GravimetricCalibration
{
    private readonly PumpClient _pump;
    private readonly ISerialLine _balance;
    private readonly CalibrationOptions _options;
    private readonly TextWriter _out;

    /// <summary>A calibration of the pump behind <paramref name="pump"/> on <paramref name="balance"/>.</summary>
    public GravimetricCalibration(PumpClient pump, ISerialLine balance, CalibrationOptions options, TextWriter output)
    {
        _pump = pump;
        _balance = balance;
        _options = options;
        _out = output;
    }

    /// <summary>How long to wait for a stable balance reading.</summary>
    public TimeSpan BalanceTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The calibration in force before, steps/mL (after <see cref="Run"/>).</summary>
    public long PreviousStepsPerMl { get; private set; }

    /// <summary>True when CAL was sent and confirmed by CAL?.</summary>
    public bool Applied { get; private set; }

    /// <summary>Runs the whole procedure; <paramref name="confirm"/> is asked before CAL is sent (unless AssumeYes).</summary>
    /// <exception cref="CalibrationException">A check failed or a prime did not finish cleanly.</exception>
    /// <exception cref="IOException">The pump or the balance stopped answering.</exception>
    public CalibrationResult Run(Func<string, bool> confirm)
    {
        var c = CultureInfo.InvariantCulture;
        Ok("AUTH " + _options.Pin);
        var cal = Ok("CAL?").Fields;
        PreviousStepsPerMl = long.Parse(cal["steps_per_ml"], c);
        int maxStepsPerSecond = int.Parse(cal["max_steps_s"], c);
        CheckReady();

        var runs = new List<CalibrationRun>();
        for (int i = 1; i <= _options.Runs; i++)
        {
            double m0 = StableGrams();
            long n0 = Steps();
            Ok(string.Format(c, "PRIME {0}", _options.VolumeMicroliters));
            WaitForPrime(maxStepsPerSecond);
            double m1 = StableGrams();
            long n1 = Steps();
            var run = new CalibrationRun(n1 - n0, m0, m1);
            runs.Add(run);
            _out.WriteLine(string.Format(c, "run {0}: {1} steps, {2:0.0000} g  ->  {3:0.0} steps/mL", i, run.Steps, run.MassGrams,
                run.Steps / (run.MassGrams / _options.DensityGramsPerMilliliter)));
        }
        CalibrationResult result;
        try
        {
            result = CalibrationMath.Compute(runs, _options.DensityGramsPerMilliliter, _options.ResolutionGrams);
        }
        catch (ArgumentException e)
        {
            throw new CalibrationException($"the runs cannot give a calibration: {e.Message} (is the outlet over the balance?)");
        }
        _out.WriteLine(string.Format(c, "steps/mL: {0:0.0} ± {1:0.0} (k=2; s = {2:0.0} over {3} run(s), resolution {4:0.0####} g, density {5} g/mL); in force: {6}",
            result.MeanStepsPerMl, result.ExpandedUncertainty, result.StdDevStepsPerMl, runs.Count, _options.ResolutionGrams,
            _options.DensityGramsPerMilliliter, PreviousStepsPerMl));
        string command = string.Format(c, "CAL {0}", result.Proposed);
        if (!_options.AssumeYes && !confirm($"send '{command}' (was {PreviousStepsPerMl})?"))
        {
            _out.WriteLine($"not sent; to apply it later: pumpctl send \"{command}\" (after AUTH)");
            return result;
        }
        Ok(command);
        long now = long.Parse(Ok("CAL?").Fields["steps_per_ml"], c);
        if (now != result.Proposed)
        {
            throw new CalibrationException($"CAL? reads {now} after '{command}'");
        }
        Applied = true;
        _out.WriteLine($"sent '{command}'; CAL? confirms steps_per_ml={now}");
        return result;
    }

    private void CheckReady()
    {
        var c = CultureInfo.InvariantCulture;
        var status = Ok("STATUS?").Fields;
        if (status["state"] != "STOPPED")
        {
            throw new CalibrationException($"the pump is {status["state"]}; PRIME runs only when STOPPED: send STOP (RUNNING to SUSPENDED) and STOP again " +
                "(SUSPENDED to STOPPED, which also stops the minimum rate), then calibrate");
        }
        var program = Ok("PROG?").Fields;
        if (!program.TryGetValue("catheter_ul", out string? catheterText))
        {
            throw new CalibrationException("no program is active; commit one whose PROG:CATHETER is at least the run volume " +
                $"({_options.VolumeMicroliters} µL) first (see hardware/README.md, calibration step 2)");
        }
        double catheter = double.Parse(catheterText, c);
        if (catheter < _options.VolumeMicroliters)
        {
            throw new CalibrationException($"the program's catheter_ul={catheterText} is less than the run volume {_options.VolumeMicroliters} µL, " +
                "and PRIME delivers at most the catheter volume: commit a program with a larger PROG:CATHETER, or use a smaller --volume-ul");
        }
        double reservoir = double.Parse(status["reservoir_ul"], c);
        // The reservoir is counted in nominal µL: a head that delivers less still draws the
        // nominal volume, so a margin of one run covers a calibration error of many percent.
        double need = (double)_options.VolumeMicroliters * (_options.Runs + 1);
        bool empty = status["alarms"].Split(',').Contains("EMPTY");
        if (reservoir < need || empty)
        {
            if (_options.RefillMicroliters is not int refill)
            {
                throw new CalibrationException(string.Format(c, "the reservoir holds {0:0.###} µL{1}; {2} run(s) of {3} µL need {4:0} µL with a run's margin: " +
                    "fill it and pass --refill <µL> (sends REFILL), or send REFILL yourself", reservoir, empty ? " (EMPTY)" : "",
                    _options.Runs, _options.VolumeMicroliters, need));
            }
            if (refill < need)
            {
                throw new CalibrationException($"--refill {refill} µL is less than the {need:0} µL the runs need");
            }
            Ok(string.Format(c, "REFILL {0}", refill));
            _out.WriteLine($"reservoir was {reservoir:0.###} µL: sent REFILL {refill}");
        }
    }

    private void WaitForPrime(int maxStepsPerSecond)
    {
        var c = CultureInfo.InvariantCulture;
        // The prime runs at the board's maximum step rate.
        double seconds = _options.VolumeMicroliters / 1000.0 * PreviousStepsPerMl / maxStepsPerSecond;
        DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(seconds * 2 + 30);
        if (_options.SimAdvance)
        {
            Ok(string.Format(c, "SIM:ADVANCE {0}", Math.Ceiling(seconds) + 1));
        }
        int simChunks = 0;
        while (true)
        {
            var status = Ok("STATUS?").Fields;
            string alarms = status["alarms"];
            foreach (string stopping in new[] { "EMPTY", "STALL", "OCCLUSION", "CRITICAL" })
            {
                if (alarms.Split(',').Contains(stopping))
                {
                    throw new CalibrationException($"{stopping} was raised during the prime (alarms={alarms}); fix the cause, acknowledge it and calibrate again");
                }
            }
            if (status["bolus"] == "NONE")
            {
                break;
            }
            if (_options.SimAdvance ? ++simChunks > 100 : DateTime.UtcNow > deadline)
            {
                throw new CalibrationException($"the prime of {_options.VolumeMicroliters} µL has not ended (bolus={status["bolus"]}); is the pump's clock running?");
            }
            if (_options.SimAdvance)
            {
                Ok("SIM:ADVANCE 10");
            }
            else
            {
                Thread.Sleep(1000);
            }
        }
        // Let the liquid settle and the balance see the head at rest.
        if (_options.SimAdvance)
        {
            Ok(string.Format(c, "SIM:ADVANCE {0}", _options.SettleSeconds));
        }
        else
        {
            Thread.Sleep(TimeSpan.FromSeconds(_options.SettleSeconds));
        }
    }

    private long Steps() => long.Parse(Ok("STATUS?").Fields["steps"], CultureInfo.InvariantCulture);

    // MT-SICS `S`: the balance answers once the weight is stable.
    private double StableGrams()
    {
        _balance.WriteLine("S");
        string? reply = _balance.ReadLine(BalanceTimeout);
        if (reply == null)
        {
            throw new IOException($"balance on {_balance.Name}: no stable reading within {BalanceTimeout.TotalSeconds:0} s");
        }
        MtSicsReading reading = MtSicsParser.Parse(reply);
        if (!reading.HasValue || !reading.Stable)
        {
            throw new CalibrationException($"balance on {_balance.Name} gave no stable weight: {reading.Error ?? reply}");
        }
        return (double)reading.Grams!.Value;
    }

    private DeviceReply Ok(string request)
    {
        DeviceReply reply = _pump.Request(request);
        if (!reply.IsOk)
        {
            // The PIN is not repeated on the console.
            string shown = request.StartsWith("AUTH ", StringComparison.Ordinal) ? "AUTH ****" : request;
            throw new CalibrationException($"'{shown}' got {reply.Status}");
        }
        return reply;
    }
}
