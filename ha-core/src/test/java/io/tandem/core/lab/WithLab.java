package io.tandem.core.lab;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives a lab test class one {@link Lab}, built before its first test and torn
 * down after its last, also when tests fail. Test methods, lifecycle methods
 * and constructors receive it as a {@code Lab} parameter. Implies
 * {@link LabTest} (tag {@code lab}, root required).
 *
 * <pre>
 * &#64;WithLab(realServers = 3)
 * class ForwarderLabTest {
 *     &#64;Test
 *     void forwards(Lab lab) { ... lab.client().exec("ping", "-c1", LabAddresses.VIP) ... }
 * }
 * </pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@LabTest
@ExtendWith(LabExtension.class)
public @interface WithLab {
    /** Number of real servers, rs1..rsN. */
    int realServers() default 2;

    /** Whether director-a and director-b are created. */
    boolean directors() default true;
}
