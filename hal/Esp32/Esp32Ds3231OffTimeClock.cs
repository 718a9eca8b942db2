// The bench rig's off-time clock: an optional DS3231 real-time-clock module on I2C1 (its coin
// cell keeps it counting while the pump is off). The firmware only needs a seconds counter that
// runs while the power is off (IOffTimeClock), so the DS3231's calendar is turned into seconds
// since 2000-01-01 and nothing else is read from it; the pump never needs the date.
//
// When it cannot be trusted the answer is "unknown" (TryReadSeconds false), and the application
// then treats the time spent off as unknown (lockouts and the 24 h window last longer, never
// shorter):
//  - no module (nobody acknowledges 0x68: nanoFramework returns SlaveAddressNotAcknowledged, it
//    does not throw - nf-interpreter sys_dev_i2c_native_System_Device_I2c_I2cDevice.cpp:278-283);
//  - a bus that hangs (the native transfer gives up after 1000 ms, :262, :285-287): after one
//    failure the module is not asked again until the next boot, so a broken bus costs one
//    second once, not one second per state change;
//  - the oscillator-stop flag (status register 0x0F bit 7, DS3231 datasheet) is set: the coin
//    cell was flat or missing, the count restarted from an arbitrary value. The firmware then
//    restarts the count at 2000-01-01 00:00:00 and clears the flag, and answers "unknown" for
//    the rest of this boot, so no image saved before or during it is compared with the new count.
using System.Device.I2c;
using nanoFramework.Hardware.Esp32;

namespace PumpFirmware.Hal.Esp32
{
    /// <summary>IOffTimeClock on a DS3231 module (I2C1, address 0x68).</summary>
    public sealed class Esp32Ds3231OffTimeClock : IOffTimeClock
    {
        /// <summary>The DS3231's bus address (datasheet).</summary>
        public const int Address = 0x68;

        private const long SecondsPerDay = 86400;
        private readonly I2cDevice _device;
        private readonly byte[] _pointer = new byte[1];
        private readonly byte[] _time = new byte[7];
        private readonly byte[] _status = new byte[1];
        private readonly byte[] _restart = new byte[8];
        private readonly byte[] _clearFlag = new byte[2];
        private bool _failed;
        private bool _restartedThisBoot;

        /// <summary>Routes I2C1 to the pins and opens the module (nothing is read yet).</summary>
        public Esp32Ds3231OffTimeClock(int sdaGpio, int sclGpio)
        {
            Configuration.SetPinFunction(sdaGpio, DeviceFunction.I2C1_DATA);
            Configuration.SetPinFunction(sclGpio, DeviceFunction.I2C1_CLOCK);
            _device = I2cDevice.Create(new I2cConnectionSettings(1, Address, I2cBusSpeed.StandardMode));
        }

        /// <summary>Why the last read said "unknown": "none", "absent or bus fault", or "oscillator stopped".</summary>
        public string State
        {
            get
            {
                if (_failed)
                {
                    return "absent or bus fault";
                }

                return _restartedThisBoot ? "oscillator stopped" : "none";
            }
        }

        /// <inheritdoc />
        public bool TryReadSeconds(out long seconds)
        {
            seconds = 0;
            if (_failed || _restartedThisBoot)
            {
                return false;
            }

            _pointer[0] = 0x0F;
            if (!Transfer(_pointer, _status))
            {
                return false;
            }

            if ((_status[0] & 0x80) != 0)
            {
                Restart();
                return false;
            }

            _pointer[0] = 0x00;
            if (!Transfer(_pointer, _time))
            {
                return false;
            }

            int second = FromBcd(_time[0] & 0x7F);
            int minute = FromBcd(_time[1] & 0x7F);
            int hour = (_time[2] & 0x40) != 0
                ? (FromBcd(_time[2] & 0x1F) % 12) + ((_time[2] & 0x20) != 0 ? 12 : 0)
                : FromBcd(_time[2] & 0x3F);
            int date = FromBcd(_time[4] & 0x3F);
            int month = FromBcd(_time[5] & 0x1F);
            int year = 2000 + FromBcd(_time[6]) + ((_time[5] & 0x80) != 0 ? 100 : 0);
            if (second > 59 || minute > 59 || hour > 23 || date < 1 || date > 31 || month < 1 || month > 12)
            {
                _failed = true;
                return false;
            }

            seconds = (DaysSince2000(year, month, date) * SecondsPerDay) + (hour * 3600L) + (minute * 60L) + second;
            return true;
        }

        /// <summary>Days from 2000-01-01 to the date (proleptic Gregorian, integer only).</summary>
        public static long DaysSince2000(int year, int month, int day)
        {
            // Days from civil (H. Hinnant's algorithm), shifted so 2000-01-01 is 0.
            int y = month <= 2 ? year - 1 : year;
            int era = (y >= 0 ? y : y - 399) / 400;
            int yoe = y - (era * 400);
            int mp = (month + 9) % 12;
            int doy = ((153 * mp) + 2) / 5 + day - 1;
            int doe = (yoe * 365) + (yoe / 4) - (yoe / 100) + doy;
            return ((long)era * 146097) + doe - 730425;
        }

        private void Restart()
        {
            // 2000-01-01 00:00:00, 24-hour mode: seconds .. year, then clear OSF.
            _restart[0] = 0x00;
            _restart[1] = 0x00;
            _restart[2] = 0x00;
            _restart[3] = 0x00;
            _restart[4] = 0x07; // day of week (any)
            _restart[5] = 0x01;
            _restart[6] = 0x01;
            _restart[7] = 0x00;
            _restartedThisBoot = true;
            if (!Transfer(_restart, null))
            {
                return;
            }

            _clearFlag[0] = 0x0F;
            _clearFlag[1] = 0x00;
            Transfer(_clearFlag, null);
        }

        private bool Transfer(byte[] write, byte[] read)
        {
            I2cTransferResult result = read == null ? _device.Write(write) : _device.WriteRead(write, read);
            if (result.Status != I2cTransferStatus.FullTransfer)
            {
                _failed = true;
                return false;
            }

            return true;
        }

        private static int FromBcd(int value)
        {
            return ((value >> 4) * 10) + (value & 0x0F);
        }
    }
}
