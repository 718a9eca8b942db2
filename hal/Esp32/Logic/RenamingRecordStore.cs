// Why this exists: a power cut in the middle of rewriting a file must never leave a file that
// is half old, half new. Each record file is rewritten as: write the new bytes to "rN.tmp"
// (flushed and closed), delete "rN.bin", rename "rN.tmp" to "rN.bin". Every crash point leaves
// one of three states, and the next access repairs it:
//   only rN.bin        - nothing to do (old or new content, whole);
//   rN.bin and rN.tmp  - the tmp may be partial: delete it, keep the old rN.bin;
//   only rN.tmp        - the crash hit between delete and rename, so the tmp is whole: rename it.
// Appends go to rN.bin directly; the journal above (firmware/Core/Storage) checks every record
// it reads, so a cut append is detected there. The rename is a separate step because
// nanoFramework's File.Move refuses an existing destination.
namespace PumpFirmware.Hal.Esp32.Logic
{
    /// <summary>IRecordStore on a file system, rewriting files by write-then-rename.</summary>
    public sealed class RenamingRecordStore : IRecordStore
    {
        private readonly IFileSystem _fileSystem;
        private readonly string _root;

        /// <summary>Creates the store.</summary>
        /// <param name="fileSystem">Where the files live.</param>
        /// <param name="root">Folder prefix ending in a separator, e.g. "I:\\pump\\" or "/tmp/x/".</param>
        public RenamingRecordStore(IFileSystem fileSystem, string root)
        {
            if (fileSystem == null)
            {
                throw new System.ArgumentNullException("fileSystem");
            }

            if (root == null)
            {
                throw new System.ArgumentNullException("root");
            }

            _fileSystem = fileSystem;
            _root = root;
        }

        /// <summary>The path of file <paramref name="fileId"/>'s committed copy.</summary>
        public string DataPath(int fileId)
        {
            CheckId(fileId);
            return _root + "r" + fileId.ToString() + ".bin";
        }

        /// <summary>The path of file <paramref name="fileId"/>'s copy being written.</summary>
        public string TempPath(int fileId)
        {
            CheckId(fileId);
            return _root + "r" + fileId.ToString() + ".tmp";
        }

        /// <inheritdoc />
        public int Read(int fileId, byte[] buffer)
        {
            if (buffer == null)
            {
                throw new System.ArgumentNullException("buffer");
            }

            Recover(fileId);
            return _fileSystem.ReadAll(DataPath(fileId), buffer);
        }

        /// <inheritdoc />
        public void Write(int fileId, byte[] buffer, int offset, int count)
        {
            CheckRange(buffer, offset, count);
            string data = DataPath(fileId);
            string temp = TempPath(fileId);
            _fileSystem.Delete(temp);
            _fileSystem.WriteNew(temp, buffer, offset, count);
            _fileSystem.Delete(data);
            _fileSystem.Rename(temp, data);
        }

        /// <inheritdoc />
        public void Append(int fileId, byte[] buffer, int offset, int count)
        {
            CheckRange(buffer, offset, count);
            Recover(fileId);
            _fileSystem.Append(DataPath(fileId), buffer, offset, count);
        }

        /// <inheritdoc />
        public void Delete(int fileId)
        {
            _fileSystem.Delete(DataPath(fileId));
            _fileSystem.Delete(TempPath(fileId));
        }

        /// <summary>Repairs what an interrupted <see cref="Write"/> left behind (see the file header).</summary>
        public void Recover(int fileId)
        {
            string data = DataPath(fileId);
            string temp = TempPath(fileId);
            if (!_fileSystem.Exists(temp))
            {
                return;
            }

            if (_fileSystem.Exists(data))
            {
                _fileSystem.Delete(temp);
            }
            else
            {
                _fileSystem.Rename(temp, data);
            }
        }

        private static void CheckId(int fileId)
        {
            if (fileId < 0)
            {
                throw new System.ArgumentOutOfRangeException("fileId");
            }
        }

        private static void CheckRange(byte[] buffer, int offset, int count)
        {
            if (buffer == null)
            {
                throw new System.ArgumentNullException("buffer");
            }

            if (offset < 0 || count < 0 || offset > buffer.Length - count)
            {
                throw new System.ArgumentOutOfRangeException("count");
            }
        }
    }
}
