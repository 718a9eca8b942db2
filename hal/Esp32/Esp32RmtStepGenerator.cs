// STEP pulses from the RMT peripheral: one transmission per block, exact counts and µs timing,
// no CPU work between steps and never Thread.Sleep. The block's RMT items come from the pure
// RmtStepBlockEncoder (tested on the host); this shell only owns the channel. nanoFramework's
// RMT API has no "stop now", so Abort disposes the channel (which stops it) and opens a new one;
// the motor is already de-energised by then, because every fault path disables the driver first.
// The bookkeeping (emitted, pending, what an abort leaves counted) is the pure RmtBlockTracker;
// with a fault line, StepConfirmation turns the emitted count into the confirmed count for
// stall detection.
using nanoFramework.Hardware.Esp32.Rmt;
using PumpFirmware.Hal.Esp32.Logic;

namespace PumpFirmware.Hal.Esp32
{
    /// <summary>IStepGenerator and IStepFeedback on an RMT transmit channel driving STEP.</summary>
    public sealed class Esp32RmtStepGenerator : IStepGenerator, IStepFeedback
    {
        private readonly int _stepGpio;
        private readonly IMonotonicClock _clock;
        private readonly IDigitalInput _fault;
        private readonly RmtStepBlockEncoder _encoder;
        private readonly RmtBlockTracker _tracker;
        private readonly StepConfirmation _confirmation = new StepConfirmation();
        private readonly object _lock = new object();
        private TransmitterChannel _channel;
        private byte[] _items = new byte[0];

        /// <summary>Opens the RMT channel on the STEP pin (idle low).</summary>
        /// <param name="stepGpio">STEP pin.</param>
        /// <param name="clock">The board clock (µs).</param>
        /// <param name="fault">The driver's fault line, or null (A4988: every emitted step counts as confirmed).</param>
        public Esp32RmtStepGenerator(int stepGpio, IMonotonicClock clock, IDigitalInput fault)
        {
            _stepGpio = stepGpio;
            _clock = clock;
            _fault = fault;
            _encoder = new RmtStepBlockEncoder(Esp32Settings.StepPulseHighMicros, Esp32Settings.StepMinLowMicros);
            _tracker = new RmtBlockTracker(_encoder);
            _channel = OpenChannel();
        }

        /// <inheritdoc />
        public int MaxBlockSteps
        {
            get { return Esp32Settings.MaxBlockSteps; }
        }

        /// <inheritdoc />
        public int PendingSteps
        {
            get
            {
                lock (_lock)
                {
                    long now = _clock.NowMicros;
                    _tracker.Update(now, _channel.IsChannelIdle);
                    return _tracker.PendingSteps(now);
                }
            }
        }

        /// <inheritdoc />
        public long ConfirmedSteps
        {
            get
            {
                lock (_lock)
                {
                    long now = _clock.NowMicros;
                    _tracker.Update(now, _channel.IsChannelIdle);
                    return _confirmation.Observe(_tracker.EmittedSteps(now), _fault != null && _fault.IsAsserted);
                }
            }
        }

        /// <inheritdoc />
        public bool TryIssue(int steps, int intervalMicros)
        {
            lock (_lock)
            {
                long now = _clock.NowMicros;
                _tracker.Update(now, _channel.IsChannelIdle);
                if (_tracker.IsActive || steps < 1 || steps > Esp32Settings.MaxBlockSteps)
                {
                    return false;
                }

                int count = _encoder.ItemsFor(steps, intervalMicros);
                if (count < 1 || count > Esp32Settings.MaxRmtItems)
                {
                    return false;
                }

                // One array per block size (SendData sends the whole array); blocks at the
                // maximum rate repeat the same size, so this rarely allocates.
                if (_items.Length != count * RmtStepBlockEncoder.BytesPerItem)
                {
                    _items = new byte[count * RmtStepBlockEncoder.BytesPerItem];
                }

                _encoder.Encode(steps, intervalMicros, _items);
                _tracker.Start(steps, intervalMicros, _clock.NowMicros);
                _channel.SendData(_items, false);
                return true;
            }
        }

        /// <inheritdoc />
        public void Abort()
        {
            lock (_lock)
            {
                _channel.Dispose();
                _tracker.Abort(_clock.NowMicros);
                _channel = OpenChannel();
            }
        }

        private TransmitterChannel OpenChannel()
        {
            TransmitChannelSettings settings = new TransmitChannelSettings(-1, _stepGpio);
            settings.ClockDivider = 80; // 80 MHz APB / 80 = 1 µs per tick, the encoder's unit
            settings.EnableCarrierWave = false; // the package default is a 38 kHz IR carrier
            settings.EnableLooping = false;
            settings.EnableIdleLevelOutput = true;
            settings.IdleLevel = false;
            settings.BufferSize = Esp32Settings.MaxRmtItems;
            return new TransmitterChannel(settings);
        }
    }
}
