package io.vigil.schemas.access;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes files that hold secrets (API key hashes, demo credentials, signing keys). On POSIX file
 * systems the file is created readable and writable by its owner only ({@code rw-------}) in the
 * same system call that creates it, so no other user can open it between creation and a later
 * change of permissions; it is written to a temporary file in the same folder and moved over the
 * old one atomically, so readers see either the old or the new content, never half of it.
 */
public final class SecretFiles {
  /** {@code rw-------}. */
  public static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  private SecretFiles() {}

  /** Replaces {@code file} with {@code content} (UTF-8), owner-only from its first byte. */
  public static void write(Path file, String content) throws IOException {
    write(file, content.getBytes(StandardCharsets.UTF_8));
  }

  /** Replaces {@code file} with {@code content}, owner-only from its first byte. */
  public static void write(Path file, byte[] content) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp", ownerOnly());
    try {
      Files.write(tmp, content);
      try {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * The attribute that creates a file owner-only, for {@code Files.createFile} and friends; none on
   * a file system without POSIX permissions (there the folder's own access rules apply).
   */
  public static FileAttribute<?>[] ownerOnly() {
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)};
    }
    return new FileAttribute<?>[0];
  }
}
