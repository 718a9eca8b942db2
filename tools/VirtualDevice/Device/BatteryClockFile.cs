// The virtual device's battery-backed clock across its processes (PROTOCOL.md: the wall clock is
// battery-backed and runs on while the pump is off; restarting the virtual device on a --state
// folder is a power-on). The counter's value is kept in the folder beside the records, with the
// host's UTC time when it was written; a new process carries the counter on from there: under
// --clock real by the real time since (never less than 0: a host clock set back counts no
// time), under --clock manual by none (off-time 0, and known). It is rewritten whenever the
// counter jumps (SIM:ADVANCE, a power cycle's off-time, a scenario's advance), at power-on and
// at exit; in between, under --clock real, the written pair stays true because both run at the
// speed of real time. The write is atomic (temporary file, then rename): this is the simulated
// RTC, not the record store whose torn writes the firmware must survive.
using System.Globalization;
using PumpFirmware.Hal.Simulated;

namespace PumpFirmware.VirtualDevice.Device;

/// <summary>Reads and writes <c>battery-clock.txt</c> in a state folder.</summary>
public sealed class BatteryClockFile
{
    /// <summary>The file's name in the state folder.</summary>
    public const string FileName = "battery-clock.txt";

    private readonly string _path;
    private readonly Func<long> _hostUtcMicros;

    /// <summary>The file in <paramref name="folder"/>; <paramref name="hostUtcMicros"/> reads the host's wall clock
    /// (tests pass their own).</summary>
    public BatteryClockFile(string folder, Func<long>? hostUtcMicros = null)
    {
        _path = Path.Combine(folder, FileName);
        _hostUtcMicros = hostUtcMicros ?? (() => (DateTime.UtcNow - DateTime.UnixEpoch).Ticks / 10);
    }

    /// <summary>The file's path.</summary>
    public string FilePath => _path;

    /// <summary>Carries the counter on from the file, if there is one: sets <paramref name="counter"/>'s base so that
    /// it reads the stored value plus, under <see cref="ClockMode.Real"/>, the real time since it was written.</summary>
    /// <returns>false when there is no readable file (a new folder: the counter starts at 0).</returns>
    public bool Resume(VirtualOffTimeClock counter, VirtualClock clock)
    {
        if (!TryRead(out long counterMicros, out long writtenUtcMicros)) return false;
        long since = clock.Mode == ClockMode.Real ? Math.Max(0, _hostUtcMicros() - writtenUtcMicros) : 0;
        counter.BaseMicros = counterMicros + since - clock.WorldMicros;
        return true;
    }

    /// <summary>Writes the counter's value now with the host's UTC time.</summary>
    public void Save(VirtualOffTimeClock counter)
    {
        string text = "counter_us=" + counter.CounterMicros.ToString(CultureInfo.InvariantCulture)
            + " host_utc_us=" + _hostUtcMicros().ToString(CultureInfo.InvariantCulture) + "\n";
        string temporary = _path + ".tmp";
        File.WriteAllText(temporary, text);
        File.Move(temporary, _path, overwrite: true);
    }

    /// <summary>Reads the stored pair.</summary>
    public bool TryRead(out long counterMicros, out long writtenUtcMicros)
    {
        counterMicros = 0;
        writtenUtcMicros = 0;
        string text;
        try
        {
            if (!File.Exists(_path)) return false;
            text = File.ReadAllText(_path);
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
        bool haveCounter = false, haveUtc = false;
        foreach (string field in text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = field.IndexOf('=');
            if (eq < 0) continue;
            string key = field[..eq], value = field[(eq + 1)..];
            if (key == "counter_us") haveCounter = long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out counterMicros);
            else if (key == "host_utc_us") haveUtc = long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out writtenUtcMicros);
        }
        return haveCounter && haveUtc;
    }
}
