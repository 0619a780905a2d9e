package io.tandem.forwarder.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LongIntHashMapTest {
    @Test
    void behavesLikeAHashMapUnderChurn() {
        LongIntHashMap map = new LongIntHashMap(4);
        Map<Long, Integer> model = new HashMap<>();
        Random random = new Random(7);
        for (int i = 0; i < 200_000; i++) {
            long key = random.nextInt(300) * 0x1_0000_0001L;
            switch (random.nextInt(3)) {
                case 0 -> {
                    map.put(key, i);
                    model.put(key, i);
                }
                case 1 -> {
                    map.remove(key);
                    model.remove(key);
                }
                default -> assertThat(map.get(key)).isEqualTo(model.getOrDefault(key, LongIntHashMap.MISSING));
            }
            assertThat(map.size()).isEqualTo(model.size());
        }
        model.forEach((k, v) -> assertThat(map.get(k)).isEqualTo(v));
    }
}
