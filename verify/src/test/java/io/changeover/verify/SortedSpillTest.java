package io.changeover.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SortedSpillTest {
    @TempDir
    Path dir;

    @Test
    void entriesComeBackInKeyOrderAcrossManyChunks() {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            keys.add("k" + i);
        }
        Collections.shuffle(keys, new Random(3));
        try (SortedSpill spill = new SortedSpill(dir, 4_096)) {
            keys.forEach(k -> spill.add(k.getBytes(StandardCharsets.UTF_8), ("v" + k).getBytes(StandardCharsets.UTF_8)));
            assertThat(spill.chunks()).isGreaterThan(10);

            List<String> read = new ArrayList<>();
            Iterator<SortedSpill.Entry> it = spill.sorted();
            while (it.hasNext()) {
                SortedSpill.Entry e = it.next();
                String key = new String(e.key(), StandardCharsets.UTF_8);
                assertThat(new String(e.value(), StandardCharsets.UTF_8)).isEqualTo("v" + key);
                read.add(key);
            }
            Collections.sort(keys);
            assertThat(read).isEqualTo(keys);
            assertThat(spill.sorted().hasNext()).isTrue(); // readable again
        }
        assertThat(dir.toFile().list()).isEmpty();
    }

    @Test
    void aSampleIsTheSameForTheSameSeedAndAboutTheFraction() {
        Sampler a = new Sampler(0.25, 42);
        Sampler b = new Sampler(0.25, 42);
        Sampler other = new Sampler(0.25, 43);
        int picked = 0;
        int differs = 0;
        for (int i = 0; i < 10_000; i++) {
            byte[] key = Verifier.idKey(new org.bson.BsonInt32(i));
            assertThat(a.selects(key)).isEqualTo(b.selects(key));
            picked += a.selects(key) ? 1 : 0;
            differs += a.selects(key) != other.selects(key) ? 1 : 0;
        }
        assertThat(picked).isBetween(2_200, 2_800);
        assertThat(differs).isPositive();
    }
}
