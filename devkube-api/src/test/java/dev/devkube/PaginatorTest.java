package dev.devkube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;

class PaginatorTest {
  private final List<String> fetched = new ArrayList<>();
  private final Map<String, Paginator.Page<Integer>> pages =
      Map.of(
          "first", new Paginator.Page<>(List.of(1, 2), "page=2"),
          "page=2", new Paginator.Page<>(List.of(), "page=3"),
          "page=3", new Paginator.Page<>(List.of(3), null));

  private Paginator<Integer> paginator() {
    return Paginator.of(
        token -> {
          String key = token == null ? "first" : token;
          fetched.add(key);
          return Objects.requireNonNull(pages.get(key), key);
        });
  }

  @Test
  void followsNextTokensAcrossEmptyPages() {
    assertThat(paginator().toList()).containsExactly(1, 2, 3);
    assertThat(fetched).containsExactly("first", "page=2", "page=3");
  }

  @Test
  void fetchesLazilyAsIterationProceeds() {
    Paginator<Integer> paginator = paginator();
    assertThat(fetched).isEmpty();

    Iterator<Integer> items = paginator.iterator();
    assertThat(items.next()).isEqualTo(1);
    assertThat(items.next()).isEqualTo(2);
    assertThat(fetched).containsExactly("first");

    assertThat(paginator.stream().findFirst()).contains(1);
    assertThat(fetched).containsExactly("first", "first");
  }

  @Test
  void aPageThatPointsToItselfStopsTheIteration() {
    Paginator<Integer> looping = Paginator.of(token -> new Paginator.Page<>(List.of(1), "same"));

    assertThatThrownBy(looping::toList)
        .isInstanceOf(TransportException.class)
        .hasMessage(
            "the server returned page token same as its own next page: stopping instead of"
                + " looping");
  }
}
