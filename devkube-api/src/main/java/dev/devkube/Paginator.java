package dev.devkube;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.jspecify.annotations.Nullable;

/**
 * The items of a paged listing, fetched one page at a time as iteration reaches them. Each
 * iteration starts again from the first page.
 *
 * <pre>{@code
 * for (Cluster cluster : cloud.clusters().list()) { ... }
 * List<String> names = cloud.clusters().list().stream().map(Cluster::name).toList();
 * }</pre>
 *
 * @param <T> the type of the items
 */
public final class Paginator<T> implements Iterable<T> {
  private final Fetcher<T> fetcher;

  private Paginator(Fetcher<T> fetcher) {
    this.fetcher = fetcher;
  }

  /** A paginator over the pages {@code fetcher} returns, starting with a null page token. */
  public static <T> Paginator<T> of(Fetcher<T> fetcher) {
    return new Paginator<>(Objects.requireNonNull(fetcher, "fetcher"));
  }

  @Override
  public Iterator<T> iterator() {
    return new PageIterator();
  }

  /** The items as a sequential stream, fetching pages as it is consumed. */
  public Stream<T> stream() {
    return StreamSupport.stream(
        Spliterators.spliteratorUnknownSize(iterator(), Spliterator.ORDERED | Spliterator.NONNULL),
        false);
  }

  /** Fetches every page and returns all items. */
  public List<T> toList() {
    List<T> result = new ArrayList<>();
    forEach(result::add);
    return List.copyOf(result);
  }

  /** Fetches one page of a listing. */
  @FunctionalInterface
  public interface Fetcher<T> {
    /**
     * Returns the page that {@code token} points to: null for the first page, then each page's
     * {@link Page#next()}.
     */
    Page<T> fetch(@Nullable String token);
  }

  /**
   * One page of items, and the token of the next page, or null on the last one.
   *
   * @param items the items on this page
   * @param next the token of the next page (a URL, a continue token), or null
   */
  public record Page<T>(List<T> items, @Nullable String next) {
    public Page {
      items = List.copyOf(items);
    }
  }

  private final class PageIterator implements Iterator<T> {
    private Iterator<T> current = List.<T>of().iterator();
    private @Nullable String next;
    private boolean started;

    @Override
    public boolean hasNext() {
      while (!current.hasNext() && (!started || next != null)) {
        String token = next;
        Page<T> page = Objects.requireNonNull(fetcher.fetch(token), "fetcher returned null");
        if (page.next() != null && page.next().equals(token)) {
          throw new TransportException(
              "the server returned page token "
                  + token
                  + " as its own next page: stopping instead of looping",
              null);
        }
        started = true;
        current = page.items().iterator();
        next = page.next();
      }
      return current.hasNext();
    }

    @Override
    public T next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return current.next();
    }
  }
}
