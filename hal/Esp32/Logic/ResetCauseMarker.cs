// nanoFramework does not tell the application why the ESP32 restarted. The firmware therefore
// writes a one-byte marker file just before it reboots on purpose (the software watchdog, or
// a software restart), and reads and deletes it at boot: no marker means the board was powered
// up (or reset by hand, or by the ESP32's own hardware watchdogs - reported as POWER).
namespace PumpFirmware.Hal.Esp32.Logic
{
    /// <summary>Records the reason for a deliberate reboot so the next boot can report it.</summary>
    public static class ResetCauseMarker
    {
        /// <summary>Writes the marker for a reboot about to happen.</summary>
        public static void Write(IFileSystem fileSystem, string path, ResetCause cause)
        {
            byte[] marker = new byte[] { (byte)cause };
            fileSystem.WriteNew(path, marker, 0, 1);
        }

        /// <summary>Reads and removes the marker. Missing, empty or unknown markers mean Power.</summary>
        public static ResetCause ReadAndClear(IFileSystem fileSystem, string path)
        {
            byte[] marker = new byte[1];
            int length = fileSystem.ReadAll(path, marker);
            fileSystem.Delete(path);
            if (length != 1)
            {
                return ResetCause.Power;
            }

            if (marker[0] == (byte)ResetCause.Watchdog)
            {
                return ResetCause.Watchdog;
            }

            if (marker[0] == (byte)ResetCause.Software)
            {
                return ResetCause.Software;
            }

            return ResetCause.Power;
        }
    }
}
