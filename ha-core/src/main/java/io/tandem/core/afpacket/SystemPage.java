package io.tandem.core.afpacket;

import io.tandem.core.linux.Libc;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/** The system's page size, getpagesize(2), which ring blocks must be multiples of. */
final class SystemPage {
    private static final MethodHandle GETPAGESIZE =
            Libc.errnoCall("getpagesize", FunctionDescriptor.of(ValueLayout.JAVA_INT));
    private static final int SIZE = lookUp();

    private SystemPage() {
    }

    static int size() {
        return SIZE;
    }

    private static int lookUp() {
        try {
            return (int) GETPAGESIZE.invokeExact(Libc.callState());
        } catch (Throwable t) {
            throw new AssertionError("getpagesize() failed", t);
        }
    }
}
