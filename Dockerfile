# Journeyline: the server (`npm start`) and the Kafka worker (`npm run worker`) in one image.
# docker-compose.yml builds it and runs both next to KurrentDB, Kafka and PostgreSQL.
#
# The full node:20 image (not -slim) carries python3, make and g++, which better-sqlite3 needs
# when no prebuilt binary fits the platform.
FROM node:20-bookworm

WORKDIR /app

# Dependencies first, so editing the code does not reinstall them.
COPY package.json package-lock.json ./
RUN npm install --no-audit --no-fund

COPY . .
# The server (dist/apps) and the dashboard (dist/dashboard).
RUN npm run build

# The data directory (JOURNEYLINE_DATA_DIR) is a volume the unprivileged user can write.
RUN mkdir -p /data && chown node:node /data
USER node

# Inside a container the server must listen on every interface for a published port to reach it.
ENV HOST=0.0.0.0 \
    PORT=3000 \
    JOURNEYLINE_DATA_DIR=/data
EXPOSE 3000

HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=6 \
  CMD curl -fsS "http://127.0.0.1:${PORT}/health" > /dev/null || exit 1

# The image is built already: --ignore-scripts skips `prestart`, which would build it again.
CMD ["npm", "start", "--ignore-scripts"]
