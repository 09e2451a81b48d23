package org.scxjavaland.api;

import static org.junit.Assert.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.Test;

public class ConfigurationKeysTest {

    /** Method names as Declarative Services maps them to keys. */
    @interface Options {
        long slice__us__min();

        boolean percpu__local();

        String trace_file();

        int max$_$depth();

        String price$$();

        String $seed();
    }

    @Test
    public void theKeysOfAConfigurationTypeAreItsMethodsNamedAsDeclarativeServicesNamesThem() {
        assertEquals(List.of("max-depth", "percpu_local", "price$", "seed", "slice_us_min", "trace.file"),
                ConfigurationKeys.of(Options.class));
    }

    @Test
    public void aKeyOfTheTypeIsKnownAndAnotherIsNamed() {
        Map<String, Object> properties = Map.of("slice_us_min", 1L, "slice_us", 2L, "service.pid", "p");
        assertEquals("the configuration p: the key slice_us is unknown and ignored; the keys are max-depth,"
                + " percpu_local, price$, seed, slice_us_min, trace.file.",
                ConfigurationKeys.unknown(properties, "p", ConfigurationKeys.of(Options.class)));
    }
}
