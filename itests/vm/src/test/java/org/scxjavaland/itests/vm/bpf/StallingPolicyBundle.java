package org.scxjavaland.itests.vm.bpf;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Packs {@link StallingPolicy} into a bundle with a Declarative Services component, for deploy/. */
final class StallingPolicyBundle {

    private StallingPolicyBundle() {
    }

    static Path write(Path jar) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", "org.scxjavaland.itests.stalling");
        main.putValue("Bundle-Version", "1.0.0");
        main.putValue("Import-Package", "org.scxjavaland.api;version=\"[1.0,2)\"");
        main.putValue("Service-Component", "OSGI-INF/stalling.xml");
        String component = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<scr:component xmlns:scr=\"http://www.osgi.org/xmlns/scr/v1.3.0\" name=\"stalling\">\n"
                + "  <implementation class=\"" + StallingPolicy.class.getName() + "\"/>\n"
                + "  <service><provide interface=\"org.scxjavaland.api.Policy\"/></service>\n"
                + "  <property name=\"scx.policy.name\" value=\"" + StallingPolicy.NAME + "\"/>\n"
                + "</scr:component>\n";
        String classFile = StallingPolicy.class.getName().replace('.', '/') + ".class";
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest);
                InputStream bytes = StallingPolicy.class.getClassLoader().getResourceAsStream(classFile)) {
            out.putNextEntry(new JarEntry("OSGI-INF/stalling.xml"));
            out.write(component.getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
            out.putNextEntry(new JarEntry(classFile));
            bytes.transferTo(out);
            out.closeEntry();
        }
        return jar;
    }
}
