package io.tandem.core.lab;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class that builds network namespaces: tagged {@code lab}, and
 * guarded by {@link LabRequirement} (root and {@code ip netns} needed; skipped
 * with one message without them, failed instead when {@code CI=true}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("lab")
@ExtendWith(LabRequirement.class)
public @interface LabTest {
}
