// One power-on of the virtual pump. The firmware instance of a power-on sees the peripherals
// only through this domain's gates; when the power goes, every gate goes inert at once (the
// clock freezes, the driver cannot be enabled, steps are refused, storage writes vanish, the
// serial line goes quiet), so the dead instance's last actions - it is still on the call
// stack when SIM:POWERCYCLE runs inside it - can touch nothing. The next power-on builds a
// new domain and a new firmware instance that reads the store like a real boot.
using PumpFirmware.Hal;
using PumpFirmware.Hal.Simulated;

namespace PumpFirmware.VirtualDevice.Device;

/// <summary>The peripherals as one firmware instance sees them, until its power goes.</summary>
public sealed class PowerDomain
{
    private bool _serialAlive = true;
    private long _frozenNowMicros = -1;
    // Read by every gate at every call (several times per main-loop pass): a field, not the property.
    private bool _alive = true;

    /// <summary>Creates the gates over the physical simulation.</summary>
    public PowerDomain(VirtualClock clock, SimSerialLink link, SimMotorDriver driver, VirtualStepGenerator steps, FaultyRecordStore store)
    {
        Clock = new GatedClock(this, clock);
        Serial = new GatedSerial(this, link);
        Driver = new GatedDriver(this, driver);
        Steps = new GatedSteps(this, steps);
        Store = new GatedStore(this, store);
    }

    /// <summary>True until <see cref="PowerOff"/>.</summary>
    public bool IsAlive => _alive;

    /// <summary>The pump clock, frozen after the power went.</summary>
    public IMonotonicClock Clock { get; }

    /// <summary>The serial link (may stay alive a moment longer: see <see cref="PowerOff"/>).</summary>
    public ISerialLink Serial { get; }

    /// <summary>The motor driver.</summary>
    public IMotorDriver Driver { get; }

    /// <summary>The step generator.</summary>
    public IStepGenerator Steps { get; }

    /// <summary>The record store.</summary>
    public IRecordStore Store { get; }

    /// <summary>Power gone: everything but the serial line goes inert now.</summary>
    /// <param name="keepSerial">True to let the dying instance send one last line (the OK of
    /// SIM:POWERCYCLE, which the protocol puts after the new instance's !BOOT); call
    /// <see cref="CloseSerial"/> afterwards.</param>
    public void PowerOff(bool keepSerial = false)
    {
        _frozenNowMicros = Clock.NowMicros;
        _alive = false;
        if (!keepSerial) _serialAlive = false;
    }

    /// <summary>Silences the serial line of a powered-off domain.</summary>
    public void CloseSerial() => _serialAlive = false;

    private sealed class GatedClock(PowerDomain domain, VirtualClock clock) : IMonotonicClock
    {
        public long NowMicros => domain._alive ? clock.NowMicros : domain._frozenNowMicros;
    }

    private sealed class GatedSerial(PowerDomain domain, SimSerialLink link) : ISerialLink
    {
        public int Read(byte[] buffer, int offset, int count) => domain._alive ? link.Read(buffer, offset, count) : 0;

        public void Write(byte[] buffer, int offset, int count)
        {
            if (domain._serialAlive) link.Write(buffer, offset, count);
        }
    }

    private sealed class GatedDriver(PowerDomain domain, SimMotorDriver driver) : IMotorDriver
    {
        public bool IsEnabled => domain._alive && driver.IsEnabled;

        public void Enable()
        {
            if (domain._alive) driver.Enable();
        }

        public void Disable()
        {
            if (domain._alive) driver.Disable();
        }
    }

    private sealed class GatedSteps(PowerDomain domain, VirtualStepGenerator steps) : IStepGenerator
    {
        public int PendingSteps => domain._alive ? steps.PendingSteps : 0;

        public int MaxBlockSteps => steps.MaxBlockSteps;

        public bool TryIssue(int count, int intervalMicros) => domain._alive && steps.TryIssue(count, intervalMicros);

        public void Abort()
        {
            if (domain._alive) steps.Abort();
        }
    }

    private sealed class GatedStore(PowerDomain domain, FaultyRecordStore store) : IRecordStore
    {
        public int Read(int fileId, byte[] buffer) => domain._alive ? store.Read(fileId, buffer) : -1;

        public void Write(int fileId, byte[] buffer, int offset, int count)
        {
            if (domain._alive) store.Write(fileId, buffer, offset, count);
        }

        public void Append(int fileId, byte[] buffer, int offset, int count)
        {
            if (domain._alive) store.Append(fileId, buffer, offset, count);
        }

        public void Delete(int fileId)
        {
            if (domain._alive) store.Delete(fileId);
        }
    }
}
