// Finding 6 of the ESP32 audit: disposing an RMT channel does not stop its transmitter
// (nf-interpreter ..._Rmt_TransmitterChannel.cpp:342-370 uninstalls the driver and never calls
// rmt_tx_stop), and nanoFramework's RMT API has no other stop. So an aborted block is not torn
// down: it runs to its end marker (blocks are kept within one channel memory, so each ends by
// itself within a known time) while the motor driver is held disabled. This is the handshake.
namespace PumpFirmware.Hal.Esp32
{
    /// <summary>Tells the motor driver whether pulses that were aborted may still reach STEP.</summary>
    public interface IStepOutputInterlock
    {
        /// <summary>False while an aborted block may still be putting pulses on STEP.</summary>
        bool IsOutputQuiet { get; }
    }
}
