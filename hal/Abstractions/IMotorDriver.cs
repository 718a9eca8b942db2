// The power stage of the motor, separate from the pulse source (Zephyr's split): enabling
// is the one thing that must fail closed, so it has an interface of its own.
namespace PumpFirmware.Hal
{
    /// <summary>The motor's power stage (the stepper driver's ENABLE, or the H-bridge's standby).</summary>
    public interface IMotorDriver
    {
        /// <summary>Energises the motor. Only the application's delivery path calls this.</summary>
        void Enable();

        /// <summary>De-energises the motor at once. Must be safe to call in any state, repeatedly,
        /// and from fault paths. The driver is disabled at construction (fail closed).</summary>
        void Disable();

        /// <summary>True while the power stage is enabled.</summary>
        bool IsEnabled { get; }
    }
}
