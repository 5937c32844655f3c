package dev.devkube.k8s.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;

/**
 * A bounded byte pipe between two threads: the writer waits while it is full, the reader while it
 * is empty. Closing the sink ends the source after what is buffered; closing the source makes
 * further writes vanish (nobody is reading). Unlike the JDK's piped streams it does not care
 * whether the writing thread is still alive.
 */
public final class Pipe {
  private final byte[] buffer;
  private int head;
  private int size;
  private boolean sinkClosed;
  private boolean sourceClosed;

  public Pipe(int capacity) {
    this.buffer = new byte[capacity];
  }

  public final OutputStream sink =
      new OutputStream() {
        @Override
        public void write(int b) throws IOException {
          write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          put(b, off, len);
        }

        @Override
        public void close() {
          synchronized (Pipe.this) {
            sinkClosed = true;
            Pipe.this.notifyAll();
          }
        }
      };

  public final InputStream source =
      new InputStream() {
        @Override
        public int read() throws IOException {
          byte[] one = new byte[1];
          return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          return take(b, off, len);
        }

        @Override
        public int available() {
          synchronized (Pipe.this) {
            return size;
          }
        }

        @Override
        public void close() {
          synchronized (Pipe.this) {
            sourceClosed = true;
            size = 0;
            Pipe.this.notifyAll();
          }
        }
      };

  private synchronized void put(byte[] b, int off, int len) throws IOException {
    int written = 0;
    while (written < len) {
      if (sourceClosed) {
        return;
      }
      if (sinkClosed) {
        throw new IOException("pipe closed");
      }
      if (size == buffer.length) {
        waitHere();
        continue;
      }
      int tail = (head + size) % buffer.length;
      int n = Math.min(len - written, Math.min(buffer.length - size, buffer.length - tail));
      System.arraycopy(b, off + written, buffer, tail, n);
      size += n;
      written += n;
      notifyAll();
    }
  }

  private synchronized int take(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    while (size == 0) {
      if (sinkClosed || sourceClosed) {
        return -1;
      }
      waitHere();
    }
    int n = Math.min(len, Math.min(size, buffer.length - head));
    System.arraycopy(buffer, head, b, off, n);
    head = (head + n) % buffer.length;
    size -= n;
    notifyAll();
    return n;
  }

  @SuppressWarnings("WaitNotInLoop") // both callers wait in a loop on their condition
  private void waitHere() throws InterruptedIOException {
    try {
      wait();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted");
    }
  }
}
